-- WITHOUT ROWID is added by hand (drizzle cannot declare it): see src/store/schema/tracking.ts.
CREATE TABLE `__new_metrics` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` real NOT NULL,
	`is_nan` integer DEFAULT 0 NOT NULL,
	`timestamp` integer NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`model_id` text,
	`dataset_name` text,
	`dataset_digest` text,
	PRIMARY KEY(`run_id`, `key`, `step`, `timestamp`, `value`, `is_nan`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`run_id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_metrics`("run_id", "key", "value", "is_nan", "timestamp", "step", "model_id", "dataset_name", "dataset_digest") SELECT "run_id", "key", "value", "is_nan", "timestamp", "step", "model_id", "dataset_name", "dataset_digest" FROM `metrics`;--> statement-breakpoint
DROP TABLE `metrics`;--> statement-breakpoint
ALTER TABLE `__new_metrics` RENAME TO `metrics`;