CREATE TABLE `settings` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `executions` ADD `notification` text;--> statement-breakpoint
ALTER TABLE `secrets` ADD `unreadable_under` text;