-- Metric points name their run by a small integer (runs.run_key) instead of the
-- 32-character run id. Written by hand: drizzle-kit cannot declare WITHOUT ROWID, and
-- existing runs take their rowid as key (unique, which is all a key needs). The DEFAULT
-- only lets ALTER TABLE add a NOT NULL column; every insert names the next key itself.
-- Not backward-compatible: a Worker older than this migration can no longer log metrics.
ALTER TABLE `runs` ADD `run_key` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
UPDATE `runs` SET `run_key` = rowid;
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_run_key` ON `runs` (`run_key`);
--> statement-breakpoint
CREATE TABLE `__new_metrics` (
	`run_key` integer NOT NULL,
	`key` text NOT NULL,
	`value` real NOT NULL,
	`is_nan` integer DEFAULT 0 NOT NULL,
	`timestamp` integer NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`model_id` text,
	`dataset_name` text,
	`dataset_digest` text,
	PRIMARY KEY(`run_key`, `key`, `step`, `timestamp`, `value`, `is_nan`),
	FOREIGN KEY (`run_key`) REFERENCES `runs`(`run_key`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_metrics`("run_key", "key", "value", "is_nan", "timestamp", "step", "model_id", "dataset_name", "dataset_digest")
SELECT r."run_key", m."key", m."value", m."is_nan", m."timestamp", m."step", m."model_id", m."dataset_name", m."dataset_digest"
FROM `metrics` m JOIN `runs` r ON r."run_id" = m."run_id";
--> statement-breakpoint
DROP TABLE `metrics`;
--> statement-breakpoint
ALTER TABLE `__new_metrics` RENAME TO `metrics`;
--> statement-breakpoint
CREATE INDEX `metrics_model` ON `metrics` (`model_id`) WHERE model_id IS NOT NULL;
