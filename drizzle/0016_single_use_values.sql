CREATE TABLE `single_use_values` (
	`id` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`value` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `single_use_values_purpose_idx` ON `single_use_values` (`purpose`,`expires_at`);