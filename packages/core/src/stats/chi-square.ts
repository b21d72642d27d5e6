import { checkArray, checkOptions, fail } from './_check.js';
import { chiSquareSurvival } from './_tails.js';

export interface ChiSquareOptions {
  /** Yates' continuity correction where dof = 1; default false (SciPy's default is true). */
  readonly correction?: boolean;
}

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pvalue: number;
  readonly dof: number;
  /** Expected frequencies under independence: row total · column total / grand total. */
  readonly expected: number[][];
}

const FN = 'chiSquare';

/**
 * Pearson's chi-square test of independence on an R×C contingency table, as SciPy 1.10's
 * `scipy.stats.chi2_contingency(table, correction)` with the default `lambda_`:
 * - expected[i][j] = rowSum[i] · colSum[j] / total; dof = (R − 1)(C − 1);
 * - statistic = Σ (observed − expected)² / expected; pvalue = P(χ²_dof ≥ statistic);
 * - dof = 0 (one row or one column) gives statistic 0 and pvalue 1, as SciPy;
 * - `correction` defaults to false here (SciPy's default is true); when true and dof = 1,
 *   each observed count moves towards its expected value by min(0.5, |difference|) (Yates);
 * - a table whose row or column sums to 0 has an expected frequency of 0: SciPy raises, so
 *   this throws a RangeError; so does a table of all zeros.
 * Counts need not be integers but must be finite and non-negative.
 *
 * @example chiSquare([[10, 10, 20], [20, 20, 20]]) // statistic 2.7777777777777777, dof 2
 */
export function chiSquare(
  table: readonly (readonly number[])[],
  options?: ChiSquareOptions,
): ChiSquareResult {
  const opts = checkOptions(FN, options, ['correction']);
  const correction = opts.correction ?? false;
  if (typeof correction !== 'boolean')
    fail(FN, 'options.correction', 'must be a boolean', correction);
  const rows = checkArray(FN, 'table', table);
  let columns = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = checkArray(FN, `table[${i}]`, rows[i]);
    if (i === 0) columns = row.length;
    else if (row.length !== columns) {
      fail(FN, `table[${i}]`, `must have ${columns} columns like table[0], not ${row.length}`);
    }
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        fail(FN, `table[${i}][${j}]`, 'must be a finite count, not negative', v);
      }
    }
  }
  const observed = rows as readonly (readonly number[])[];
  const rowSums = observed.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: columns }, (_, j) =>
    observed.reduce((s, row) => s + (row[j] as number), 0),
  );
  const total = rowSums.reduce((s, v) => s + v, 0);
  if (total === 0) fail(FN, 'table', 'must not be all zeros');
  const zeroRow = rowSums.indexOf(0);
  if (zeroRow >= 0) fail(FN, `table[${zeroRow}]`, 'sums to 0, so its expected frequencies are 0');
  const zeroColumn = colSums.indexOf(0);
  if (zeroColumn >= 0) {
    fail(FN, `table column ${zeroColumn}`, 'sums to 0, so its expected frequencies are 0');
  }
  const expected = rowSums.map((r) => colSums.map((c) => (r * c) / total));
  const dof = (observed.length - 1) * (columns - 1);
  if (dof === 0) return { statistic: 0, pvalue: 1, dof, expected };
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    for (let j = 0; j < columns; j++) {
      const e = (expected[i] as number[])[j] as number;
      let o = (observed[i] as readonly number[])[j] as number;
      if (correction && dof === 1) {
        const diff = e - o;
        o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += (o - e) ** 2 / e;
    }
  }
  return { statistic, pvalue: chiSquareSurvival(statistic, dof), dof, expected };
}
