CREATE TABLE `logged_model_params` (
	`model_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`model_id`, `key`),
	FOREIGN KEY (`model_id`) REFERENCES `logged_models`(`model_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `logged_model_tags` (
	`model_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`model_id`, `key`),
	FOREIGN KEY (`model_id`) REFERENCES `logged_models`(`model_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `logged_models` (
	`model_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`artifact_uri` text NOT NULL,
	`status` text NOT NULL,
	`status_message` text,
	`model_type` text,
	`source_run_id` text,
	`creation_timestamp_ms` integer NOT NULL,
	`last_updated_timestamp_ms` integer NOT NULL,
	`lifecycle_stage` text DEFAULT 'active' NOT NULL,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`experiment_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `logged_models_experiment_created` ON `logged_models` (`experiment_id`,`lifecycle_stage`,`creation_timestamp_ms`);--> statement-breakpoint
CREATE TABLE `assessments` (
	`assessment_id` text PRIMARY KEY NOT NULL,
	`trace_id` text NOT NULL,
	`name` text NOT NULL,
	`content` text NOT NULL,
	`create_time` integer NOT NULL,
	`last_update_time` integer NOT NULL,
	FOREIGN KEY (`trace_id`) REFERENCES `trace_info`(`trace_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assessments_trace` ON `assessments` (`trace_id`);--> statement-breakpoint
CREATE TABLE `trace_info` (
	`trace_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`request_time` integer NOT NULL,
	`execution_duration` integer,
	`state` text NOT NULL,
	`client_request_id` text,
	`request_preview` text,
	`response_preview` text,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`experiment_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trace_info_experiment_time` ON `trace_info` (`experiment_id`,`request_time`);--> statement-breakpoint
CREATE TABLE `trace_request_metadata` (
	`trace_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`trace_id`, `key`),
	FOREIGN KEY (`trace_id`) REFERENCES `trace_info`(`trace_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trace_metadata_key_value` ON `trace_request_metadata` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `trace_run_links` (
	`trace_id` text NOT NULL,
	`run_id` text NOT NULL,
	PRIMARY KEY(`trace_id`, `run_id`),
	FOREIGN KEY (`trace_id`) REFERENCES `trace_info`(`trace_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trace_run_links_run` ON `trace_run_links` (`run_id`);--> statement-breakpoint
CREATE TABLE `trace_spans` (
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`parent_span_id` text,
	`start_order` text NOT NULL,
	`content` text NOT NULL,
	PRIMARY KEY(`trace_id`, `span_id`),
	FOREIGN KEY (`trace_id`) REFERENCES `trace_info`(`trace_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `trace_tags` (
	`trace_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`trace_id`, `key`),
	FOREIGN KEY (`trace_id`) REFERENCES `trace_info`(`trace_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trace_tags_key_value` ON `trace_tags` (`key`,`value`);