CREATE TABLE `facilitation` (
	`board_id` text PRIMARY KEY NOT NULL,
	`locked_by` text,
	`timer_ends_at` integer,
	`timer_seconds` integer,
	`follow_user_id` text,
	`spotlight_id` text,
	`rating_touchpoint_id` text,
	`rating_revealed` integer DEFAULT false NOT NULL,
	`voting_open` integer DEFAULT false NOT NULL,
	`voting_budget` integer DEFAULT 3 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invites` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`board_id` text NOT NULL,
	`role` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`uses` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invites_token_hash_unique` ON `invites` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invites_board_idx` ON `invites` (`board_id`);--> statement-breakpoint
CREATE TABLE `ratings` (
	`board_id` text NOT NULL,
	`touchpoint_id` text NOT NULL,
	`user_id` text NOT NULL,
	`emotion` integer NOT NULL,
	`rated_at` integer NOT NULL,
	PRIMARY KEY(`board_id`, `touchpoint_id`, `user_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `versions` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`name` text NOT NULL,
	`state` blob NOT NULL,
	`created_by` text,
	`automatic` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `versions_board_idx` ON `versions` (`board_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `votes` (
	`board_id` text NOT NULL,
	`touchpoint_id` text NOT NULL,
	`user_id` text NOT NULL,
	`dots` integer NOT NULL,
	PRIMARY KEY(`board_id`, `touchpoint_id`, `user_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `users` ADD `is_guest` integer DEFAULT false NOT NULL;