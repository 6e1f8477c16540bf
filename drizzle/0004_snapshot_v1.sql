ALTER TABLE `board_snapshots` ADD `format` text DEFAULT 'v2' NOT NULL;--> statement-breakpoint
ALTER TABLE `board_snapshots` ADD `state_vector` blob;