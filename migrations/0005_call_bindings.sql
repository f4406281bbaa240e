ALTER TABLE `connections` ADD `credential_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `execution_calls` ADD `binding` text;