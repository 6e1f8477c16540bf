CREATE TABLE `workshop_rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`kind` text NOT NULL,
	`touchpoint_id` text,
	`title` text,
	`segment_id` text,
	`budget` integer,
	`revealed` integer DEFAULT false NOT NULL,
	`results` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workshop_rounds_board_idx` ON `workshop_rounds` (`board_id`,`started_at`);--> statement-breakpoint
ALTER TABLE `facilitation` ADD `results_shown` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `facilitation` ADD `rating_names_shown` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `facilitation` ADD `vote_round_id` text;--> statement-breakpoint
ALTER TABLE `facilitation` ADD `rating_round_id` text;