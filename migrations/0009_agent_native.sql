CREATE TABLE `mcp_elicitations` (
	`id` text PRIMARY KEY NOT NULL,
	`identity_id` text NOT NULL,
	`action` text,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `personal_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`pattern` text NOT NULL,
	`action` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `personal_policies_owner` ON `personal_policies` (`owner`);--> statement-breakpoint
CREATE TABLE `toolkits` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`include` text NOT NULL,
	`policies` text NOT NULL,
	`members` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `executions` ADD `toolkit` text;--> statement-breakpoint
CREATE INDEX `executions_toolkit` ON `executions` (`toolkit`,`created_at`);