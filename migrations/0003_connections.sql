CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`integration` text NOT NULL,
	`owner` text NOT NULL,
	`name` text NOT NULL,
	`auth_type` text NOT NULL,
	`settings` text NOT NULL,
	`masked_hint` text,
	`secret_id` text,
	`status` text NOT NULL,
	`last_used_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_key` ON `connections` (`integration`,`owner`,`name`);