CREATE TABLE `model_version_tags` (
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`name`, `version`, `key`),
	FOREIGN KEY (`name`,`version`) REFERENCES `model_versions`(`name`,`version`) ON UPDATE cascade ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `model_version_tags_key_value` ON `model_version_tags` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `model_versions` (
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`creation_time` integer NOT NULL,
	`last_updated_time` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`user_id` text,
	`current_stage` text DEFAULT 'None' NOT NULL,
	`source` text NOT NULL,
	`storage_location` text,
	`run_id` text DEFAULT '' NOT NULL,
	`run_link` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'READY' NOT NULL,
	`status_message` text,
	PRIMARY KEY(`name`, `version`),
	FOREIGN KEY (`name`) REFERENCES `registered_models`(`name`) ON UPDATE cascade ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `model_versions_run_id` ON `model_versions` (`run_id`);--> statement-breakpoint
CREATE INDEX `model_versions_last_updated` ON `model_versions` (`last_updated_time`);--> statement-breakpoint
CREATE TABLE `registered_model_aliases` (
	`name` text NOT NULL,
	`alias` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`name`, `alias`),
	FOREIGN KEY (`name`) REFERENCES `registered_models`(`name`) ON UPDATE cascade ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `registered_model_tags` (
	`name` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`name`, `key`),
	FOREIGN KEY (`name`) REFERENCES `registered_models`(`name`) ON UPDATE cascade ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `registered_model_tags_key_value` ON `registered_model_tags` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `registered_models` (
	`name` text PRIMARY KEY NOT NULL,
	`creation_time` integer NOT NULL,
	`last_updated_time` integer NOT NULL,
	`description` text
);
