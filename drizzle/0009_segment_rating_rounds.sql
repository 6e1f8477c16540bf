ALTER TABLE `facilitation` ADD `rating_segment_id` text;--> statement-breakpoint
ALTER TABLE `workshop_rounds` ADD `segment_name` text;--> statement-breakpoint
ALTER TABLE `workshop_rounds` ADD `adopted` integer;