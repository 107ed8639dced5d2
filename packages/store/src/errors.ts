// Typed errors the server maps to HTTP statuses (409, 404, 400).

/** `expectedParent` of a publish is not the latest version (HTTP 409). */
export class StaleParentError extends Error {
  override readonly name = 'StaleParentError';
  constructor(
    readonly ruleset: string,
    readonly expected: number | null,
    readonly actual: number | null,
  ) {
    super(
      `ruleset \`${ruleset}\` is at version ${actual ?? 'none'}, not ${expected ?? 'none'}: publish on top of the latest version`,
    );
  }
}

export type NotFoundKind = 'ruleset' | 'version' | 'channel' | 'revision';

/**
 * A ruleset, version, channel or channel revision the operation needs does not exist (HTTP 404).
 * The message is a whole sentence saying what is missing ("ruleset `x` has no version 3"), shown
 * to API clients as it is.
 */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly kind: NotFoundKind,
    message: string,
  ) {
    super(message);
  }
}

/** A pagination cursor that this store did not produce (HTTP 400). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super('invalid pagination cursor');
  }
}
