import type { Channel, LabApi, LabEvent, Result } from '../../../src-main/ipc/contract'

/** A host that answers each channel from a table (anything else: an 'unexpected' error) and records what was asked. */
export class FakeApi implements LabApi {
  calls: { channel: Channel; payload: unknown }[] = []
  constructor(private readonly answers: Partial<Record<Channel, Result<unknown>>>) {}
  async request(channel: Channel, payload: unknown): Promise<Result<never>> {
    this.calls.push({ channel, payload })
    return (this.answers[channel] ?? { ok: false, error: { code: 'unexpected', message: channel } }) as Result<never>
  }
  onEvent(_l: (e: LabEvent) => void): () => void { return () => {} }
}
