ALTER TABLE `invites` ADD `email` text;--> statement-breakpoint
ALTER TABLE `invites` ADD `mail_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invites_mail_token_hash_unique` ON `invites` (`mail_token_hash`);