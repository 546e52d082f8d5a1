/** Numbered ✓/✗ checks, as `tpot verify …` and `tpot snapshot verify` print them. */
export interface Check {
  name: string;
  /** null: skipped. */
  ok: boolean | null;
  detail: string;
}

export function formatChecks(checks: readonly Check[]): { text: string; passed: boolean } {
  const mark = (check: Check) => (check.ok === null ? '–' : check.ok ? '✓' : '✗');
  const lines = checks.map((check, i) => `[${i + 1}/${checks.length}] ${mark(check)} ${check.name}: ${check.detail}`);
  const counted = checks.filter((check) => check.ok !== null);
  const passed = counted.filter((check) => check.ok).length;
  const skipped = checks.length - counted.length;
  lines.push(`RESULT: ${passed}/${counted.length} checks passed${skipped ? ` (${skipped} skipped)` : ''}`);
  return { text: lines.join('\n'), passed: passed === counted.length };
}
