// The typed face of the contract: names, inputs and outputs all come from src/shared/contract.
import {
  channels,
  procedures,
  streams,
  type ChannelClientMessage,
  type ChannelEvent,
  type ChannelInput,
  type ChannelName,
  type ProcedureInput,
  type ProcedureName,
  type ProcedureOutput,
  type StreamEvent,
  type StreamInput,
  type StreamName,
} from '../../shared/contract/index.js';
import type { SlipwayBridge } from '../../shared/contract/bridge.js';
import { AppError, fromWire, type WireError } from '../../shared/errors.js';

export interface Client {
  call<N extends ProcedureName>(name: N, input: ProcedureInput<N>): Promise<ProcedureOutput<N>>;
  subscribe<N extends StreamName>(
    name: N,
    input: StreamInput<N>,
    onEvent: (event: StreamEvent<N>) => void,
    onEnd?: (error?: AppError) => void,
  ): () => void;
  open<N extends ChannelName>(
    name: N,
    input: ChannelInput<N>,
    onEvent: (event: ChannelEvent<N>) => void,
    onEnd?: (error?: AppError) => void,
  ): TypedChannel<N>;
}

export interface TypedChannel<N extends ChannelName> {
  send(message: ChannelClientMessage<N>): void;
  close(): void;
}

export function createClient(bridge: SlipwayBridge): Client {
  return {
    async call(name, input) {
      const result = await bridge.call(name, input);
      if (!result.ok) throw fromWire(result.error);
      // Data from the other side of the boundary is parsed, never cast.
      const parsed = procedures[name].output.safeParse(result.value);
      if (!parsed.success) {
        throw new AppError(
          'INTERNAL',
          `Slipway answered "${name}" in a shape this window does not understand. Restart Slipway so both sides run the same version.`,
        );
      }
      return parsed.data as ProcedureOutput<typeof name>;
    },

    subscribe(name, input, onEvent, onEnd) {
      const schema = streams[name].event;
      return bridge.subscribe(
        name,
        input,
        (raw) => {
          const parsed = schema.safeParse(raw);
          // An event we cannot read is skipped rather than shown half-understood.
          if (parsed.success) onEvent(parsed.data as StreamEvent<typeof name>);
        },
        (error?: WireError) => onEnd?.(error ? fromWire(error) : undefined),
      );
    },

    open(name, input, onEvent, onEnd) {
      const schema = channels[name].event;
      return bridge.open(
        name,
        input,
        (raw) => {
          const parsed = schema.safeParse(raw);
          if (parsed.success) onEvent(parsed.data as ChannelEvent<typeof name>);
        },
        (error?: WireError) => onEnd?.(error ? fromWire(error) : undefined),
      );
    },
  };
}
