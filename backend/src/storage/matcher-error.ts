/** A label matcher that cannot be evaluated (e.g. a regex JavaScript cannot match like RE2). */
export class MatcherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherError';
  }
}
