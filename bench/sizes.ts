/** How big each workload is; `--quick` shrinks the slow ones and the table says so. */
export interface Sizes {
  quick: boolean;
  logMetricCalls: number;
  /** Metrics per log-batch call (MLflow's limit). */
  batchSize: number;
  /** log-batch calls; they also write the get-history metric, so batches × batchSize points. */
  logBatchCalls: number;
  historyPageSize: number;
  historyReads: number;
  /** Points of the bulk-interval metric (the get-history metric is reused when equal). */
  bulkPoints: number;
  bulkReads: number;
  bulkMaxResults: number;
  searchRunCounts: number[];
  searchPageSize: number;
  searchReads: number;
  writerCounts: number[];
  pointsPerWriter: number;
  artifactBytes: number;
  artifactRepeats: number;
  multipartBytes: number;
  /** MLflow's default part size (MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE). */
  partBytes: number;
  /** Requests in flight while setting up data. */
  setupConcurrency: number;
}

const MB = 1024 * 1024;

/** The sizes the issue names. */
export const FULL: Sizes = {
  quick: false,
  logMetricCalls: 1_000,
  batchSize: 1_000,
  logBatchCalls: 100,
  historyPageSize: 25_000,
  historyReads: 5,
  bulkPoints: 1_000_000,
  bulkReads: 10,
  bulkMaxResults: 2_500,
  searchRunCounts: [1_000, 10_000],
  searchPageSize: 100,
  searchReads: 10,
  writerCounts: [8, 16],
  pointsPerWriter: 100,
  artifactBytes: 100 * MB,
  artifactRepeats: 3,
  multipartBytes: 600 * MB,
  partBytes: 10 * MB,
  setupConcurrency: 8,
};

/** Under two minutes on two cores: same shapes, fewer and smaller where setup dominates. */
export const QUICK: Sizes = {
  ...FULL,
  quick: true,
  logMetricCalls: 200,
  historyReads: 3,
  bulkPoints: 100_000,
  bulkReads: 5,
  searchRunCounts: [1_000],
  searchReads: 5,
  pointsPerWriter: 50,
  artifactBytes: 20 * MB,
  artifactRepeats: 2,
  multipartBytes: 60 * MB,
};
