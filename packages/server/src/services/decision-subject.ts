/**
 * The `subject.id` of a stored decision, read from its canonical JSON without parsing it all
 * (a page holds up to a thousand): keys are sorted, so a decision's top-level `subject` is the
 * member just before `type`, at the very end; a `subject` nested in a free JSON member comes
 * earlier and is never taken for it.
 *
 * @example decisionSubject('{"id":"d1",…,"subject":{"id":"s-9"},"type":"decision"}') // 's-9'
 */
export function decisionSubject(json: string): string | null {
  const match = TRAILING_SUBJECT.exec(json);
  return match?.[1] === undefined ? null : (JSON.parse(match[1]) as string);
}

const TRAILING_SUBJECT = /"subject":\{"id":("(?:[^"\\]|\\.)*")\},"type":"decision"\}$/;

/** The distinct subjects of these stored decisions. */
export function decisionSubjects(jsons: readonly string[]): string[] {
  const subjects = new Set<string>();
  for (const json of jsons) {
    const subject = decisionSubject(json);
    if (subject !== null) subjects.add(subject);
  }
  return [...subjects];
}
