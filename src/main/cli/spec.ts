// The shape of a CLI command: its arguments, its options, and what it does with a context.
import type {
  ChannelClientMessage,
  ChannelEvent,
  ChannelInput,
  ChannelName,
  ProcedureInput,
  ProcedureName,
  ProcedureOutput,
  StreamInput,
  StreamName,
  StreamEvent,
} from '../../shared/contract/index.js';
import type { WireError } from '../../shared/errors.js';
import type { Disposable } from '../util/disposable.js';
import type { CliIo } from './io.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder in help: `--env ENV`. */
  readonly value?: string;
  readonly help: string;
  readonly required?: boolean;
  /** Repeatable: every value is kept, in the order given (`--env a=… --env b=…`). */
  readonly multiple?: boolean;
  /** Another option that may stand in for this required one (`--ref` or `--image`); not both. */
  readonly or?: string;
}

export interface ArgSpec {
  readonly name: string;
  readonly required: boolean;
  readonly variadic?: boolean;
}

export type OptionValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

export interface CommandContext {
  readonly args: readonly string[];
  readonly opts: OptionValues;
  readonly io: CliIo;
  readonly json: boolean;
  readonly home: string;
  /** Calls the router in-process; an error envelope becomes a CommandFailed. */
  call<N extends ProcedureName>(name: N, input: ProcedureInput<N>): Promise<ProcedureOutput<N>>;
  subscribe<N extends StreamName>(
    name: N,
    input: StreamInput<N>,
    onEvent: (event: StreamEvent<N>) => void,
  ): Promise<Disposable>;
  /** Opens a channel in-process; `onEnd` fires once when the server side ends it. */
  open<N extends ChannelName>(
    name: N,
    input: ChannelInput<N>,
    onEvent: (event: ChannelEvent<N>) => void,
    onEnd: (error?: WireError) => void,
  ): Promise<CliChannel<N>>;
  /** The words after `--`, when the command line has one (`slipway ps:exec … -- ls -la`). */
  readonly passthrough?: readonly string[];
}

export interface CliChannel<N extends ChannelName> {
  send(message: ChannelClientMessage<N>): void;
  close(): Promise<void>;
}

/** What a command prints: the JSON value for --json, the text for people, and how it went. */
export interface CommandResult {
  readonly value: unknown;
  readonly human: string;
  /** A failure that still has a value to show (a failed deployment). */
  readonly failure?: WireError;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly args: readonly ArgSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples?: readonly string[];
  /** Commands that manage their own lifetime and output (serve) return an exit code. */
  run(ctx: CommandContext): Promise<CommandResult | number>;
}

/** An error envelope from the router. */
export class CommandFailed extends Error {
  constructor(readonly error: WireError) {
    super(error.message);
    this.name = 'CommandFailed';
  }
}

/** The command line itself is wrong: exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
