CREATE TABLE `file_contents` (
	`file_id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`content` blob NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `file_contents_board_idx` ON `file_contents` (`board_id`);