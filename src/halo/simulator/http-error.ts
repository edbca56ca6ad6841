/** A simulator route's refusal: the status to answer and HaloPSA's error text (empty for a bare 403). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
