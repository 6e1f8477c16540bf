DROP INDEX `board_updates_board_seq_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `board_updates_board_seq_idx` ON `board_updates` (`board_id`,`seq`) WHERE "board_updates"."seq" IS NOT NULL;