CREATE TABLE `intake_responses` (
	`row_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` text NOT NULL,
	`response_id` text,
	`touchpoint_id` text NOT NULL,
	`metric` text NOT NULL,
	`score` integer NOT NULL,
	`segment_id` text,
	`comment` text,
	`at` integer NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `intake_responses_board_response_idx` ON `intake_responses` (`board_id`,`response_id`);--> statement-breakpoint
CREATE INDEX `intake_responses_touchpoint_at_idx` ON `intake_responses` (`board_id`,`touchpoint_id`,`at`);--> statement-breakpoint
CREATE TABLE `intake_score_counts` (
	`board_id` text NOT NULL,
	`touchpoint_id` text NOT NULL,
	`metric` text NOT NULL,
	`segment_id` text NOT NULL,
	`score` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`board_id`, `touchpoint_id`, `metric`, `segment_id`, `score`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `intake_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`board_id` text NOT NULL,
	`name` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `intake_tokens_token_hash_unique` ON `intake_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `intake_tokens_board_idx` ON `intake_tokens` (`board_id`);