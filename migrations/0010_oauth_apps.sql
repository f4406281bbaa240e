CREATE TABLE `oauth_apps` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`authorization_url` text,
	`token_url` text,
	`client_id` text NOT NULL,
	`secret_id` text,
	`masked_hint` text,
	`scopes` text NOT NULL,
	`extra_params` text NOT NULL,
	`settings` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
