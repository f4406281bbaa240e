CREATE TABLE `execution_calls` (
	`execution_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`address` text,
	`args` text NOT NULL,
	`connection` text,
	`policy` text,
	`status` text NOT NULL,
	`reply` text,
	`decision` text,
	`decided_by` text,
	`decided_at` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	PRIMARY KEY(`execution_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `executions` (
	`id` text PRIMARY KEY NOT NULL,
	`identity_id` text NOT NULL,
	`identity_label` text NOT NULL,
	`code` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`error` text,
	`logs` text,
	`seed` integer NOT NULL,
	`start_time` integer NOT NULL,
	`origin` text NOT NULL,
	`paused_seq` integer,
	`expires_at` integer,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`duration_ms` integer
);
--> statement-breakpoint
CREATE INDEX `executions_identity` ON `executions` (`identity_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `executions_created` ON `executions` (`created_at`);--> statement-breakpoint
CREATE INDEX `executions_status` ON `executions` (`status`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`slug` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`source_url` text,
	`base_url` text,
	`config` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `large_texts` (
	`key` text NOT NULL,
	`part` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`key`, `part`)
);
--> statement-breakpoint
CREATE TABLE `policies` (
	`id` text PRIMARY KEY NOT NULL,
	`pattern` text NOT NULL,
	`action` text NOT NULL,
	`position` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `revisions` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tools` (
	`address` text PRIMARY KEY NOT NULL,
	`integration` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`input_schema` text NOT NULL,
	`output_schema` text,
	`default_policy` text NOT NULL,
	`invocation` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tools_integration` ON `tools` (`integration`);