// The statistics every analysis stands on: two-sample tests and distances, realised
// performance, fairness and rate anomalies, each matching a named reference implementation
// (SciPy 1.10, scikit-learn 1.2, Evidently 0.7, Fairlearn 0.10, NannyML). See
// docs/statistics.md. Pure and synchronous; bad input throws a RangeError.
export {
  ks2samp,
  type Ks2sampOptions,
  type Ks2sampResult,
  type KsAlternative,
  type KsMethod,
} from './ks2samp.js';
export { chiSquare, type ChiSquareOptions, type ChiSquareResult } from './chi-square.js';
export { jensenShannon, type JensenShannonOptions } from './jensen-shannon.js';
export { wasserstein } from './wasserstein.js';
export { psi, type FeatureType, type PsiOptions, type PsiResult } from './psi.js';
export { proportionZTest, type ProportionZTestResult } from './proportion-z-test.js';
export {
  classificationMetrics,
  type CalibrationBin,
  type ClassificationMetrics,
  type ClassificationMetricsOptions,
} from './classification-metrics.js';
export {
  fairnessMetrics,
  type FairnessMetrics,
  type FourFifths,
  type GroupRates,
} from './fairness-metrics.js';
export { pChart, type PChartOptions, type PChartPoint, type PChartResult } from './p-chart.js';
export { cChart, type CChartOptions, type CChartPoint, type CChartResult } from './c-chart.js';
export {
  stdThreshold,
  type StdThresholdOptions,
  type StdThresholdResult,
} from './std-threshold.js';
