CREATE TABLE `board_update_counters` (
	`board_id` text PRIMARY KEY NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `board_snapshots` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `board_updates` ADD `seq` integer;--> statement-breakpoint
-- Numbers the updates already logged 1, 2, 3… per board, in the order they were appended, and
-- starts each board's counter after its last one (the snapshot, seq 0, holds everything before).
UPDATE `board_updates` SET `seq` = (SELECT count(*) FROM `board_updates` AS `earlier` WHERE `earlier`.`board_id` = `board_updates`.`board_id` AND `earlier`.`id` <= `board_updates`.`id`);--> statement-breakpoint
INSERT INTO `board_update_counters` (`board_id`, `last_seq`) SELECT `id`, coalesce((SELECT max(`seq`) FROM `board_updates` WHERE `board_updates`.`board_id` = `boards`.`id`), 0) FROM `boards`;--> statement-breakpoint
CREATE UNIQUE INDEX `board_updates_board_seq_idx` ON `board_updates` (`board_id`,`seq`);