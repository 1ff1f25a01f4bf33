-- Hand-written (drizzle cannot declare WITHOUT ROWID): see src/store/schema/tracking.ts.
-- Each table is rebuilt clustered by (run_id, key); `position` keeps the insertion order rowid gave.
CREATE TABLE `__new_params` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`run_id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_params`("run_id", "key", "value", "position") SELECT "run_id", "key", "value", rowid FROM `params`;
--> statement-breakpoint
DROP TABLE `params`;
--> statement-breakpoint
ALTER TABLE `__new_params` RENAME TO `params`;
--> statement-breakpoint
CREATE INDEX `params_key_value` ON `params` (`key`,`value`);
--> statement-breakpoint
CREATE TABLE `__new_run_tags` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`run_id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_run_tags`("run_id", "key", "value", "position") SELECT "run_id", "key", "value", rowid FROM `run_tags`;
--> statement-breakpoint
DROP TABLE `run_tags`;
--> statement-breakpoint
ALTER TABLE `__new_run_tags` RENAME TO `run_tags`;
--> statement-breakpoint
CREATE INDEX `run_tags_key_value` ON `run_tags` (`key`,`value`);
--> statement-breakpoint
CREATE TABLE `__new_latest_metrics` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` real NOT NULL,
	`is_nan` integer DEFAULT 0 NOT NULL,
	`timestamp` integer NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`run_id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_latest_metrics`("run_id", "key", "value", "is_nan", "timestamp", "step", "position") SELECT "run_id", "key", "value", "is_nan", "timestamp", "step", rowid FROM `latest_metrics`;
--> statement-breakpoint
DROP TABLE `latest_metrics`;
--> statement-breakpoint
ALTER TABLE `__new_latest_metrics` RENAME TO `latest_metrics`;
--> statement-breakpoint
CREATE INDEX `latest_metrics_key_value` ON `latest_metrics` (`key`,`is_nan`,`value`);
