CREATE TABLE `mail_digest_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`board_id` text NOT NULL,
	`ref_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mail_digest_items_user_idx` ON `mail_digest_items` (`user_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `invites` ADD `email` text;--> statement-breakpoint
ALTER TABLE `invites` ADD `mail_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invites_mail_token_hash_unique` ON `invites` (`mail_token_hash`);--> statement-breakpoint
ALTER TABLE `users` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `users` ADD `mail_digest` integer DEFAULT true NOT NULL;