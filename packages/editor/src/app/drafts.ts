/**
 * Drafts: unsaved buffers kept in localStorage per ruleset, so a reload (or a
 * crash) loses nothing. A draft remembers the version it was based on; it is
 * removed once the buffer matches what was opened or published again.
 */
const PREFIX = 'verdict.draft.';

export interface Draft {
  source: string;
  /** The version the buffer was opened from; null for a ruleset not yet published. */
  baseVersion: number | null;
  savedAt: string;
}

export function loadDraft(name: string): Draft | null {
  try {
    const raw = localStorage.getItem(PREFIX + name);
    if (raw === null) return null;
    const draft = JSON.parse(raw) as Partial<Draft>;
    return typeof draft.source === 'string' ? { source: draft.source, baseVersion: typeof draft.baseVersion === 'number' ? draft.baseVersion : null, savedAt: String(draft.savedAt ?? '') } : null;
  } catch {
    return null;
  }
}

export function saveDraft(name: string, source: string, baseVersion: number | null): void {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify({ source, baseVersion, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or disabled: the beforeunload prompt still guards the buffer.
  }
}

export function discardDraft(name: string): void {
  localStorage.removeItem(PREFIX + name);
}

/** Names of rulesets with a draft (a new ruleset exists only as a draft until published). */
export function draftNames(): string[] {
  const names: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(PREFIX)) names.push(key.slice(PREFIX.length));
  }
  return names.sort();
}
