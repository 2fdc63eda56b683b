/** The message of anything thrown, for events and the command line (never a stack trace). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return typeof e === 'string' ? e : JSON.stringify(e)
}
