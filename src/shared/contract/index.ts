// The single list of everything the UI, the CLI and the API can ask for.
import type { z } from 'zod';
import { activityProcedures, activityStreams } from './activity.js';
import { awsProcedures } from './aws.js';
import { configProcedures } from './config.js';
import { environmentProcedures } from './environments.js';
import { observabilityOfferProcedures, observabilityProcedures, observabilityStreams } from './observability.js';
import { pipelineProcedures } from './pipelines.js';
import { releaseProcedures, releaseStreams } from './releases.js';
import { systemProcedures } from './system.js';
import { terminalChannels, terminalProcedures } from './terminal.js';
import { teamProcedures } from './team.js';
import { webhookProcedures } from './webhooks.js';

export const procedures = {
  ...systemProcedures,
  ...pipelineProcedures,
  ...releaseProcedures,
  ...configProcedures,
  ...activityProcedures,
  ...awsProcedures,
  ...environmentProcedures,
  ...observabilityProcedures,
  ...observabilityOfferProcedures,
  ...terminalProcedures,
  ...teamProcedures,
  ...webhookProcedures,
};

export const streams = {
  ...releaseStreams,
  ...activityStreams,
  ...observabilityStreams,
};

/** Streams with a way back from the client (see ChannelDef). */
export const channels = {
  ...terminalChannels,
};

export type Procedures = typeof procedures;
export type Streams = typeof streams;
export type ProcedureName = keyof Procedures;
export type StreamName = keyof Streams;

/** What a caller passes (defaults may be omitted) and what the handler receives (defaults filled in). */
export type ProcedureInput<N extends ProcedureName> = z.input<Procedures[N]['input']>;
export type ProcedureArgs<N extends ProcedureName> = z.output<Procedures[N]['input']>;
export type ProcedureOutput<N extends ProcedureName> = z.output<Procedures[N]['output']>;
export type StreamInput<N extends StreamName> = z.input<Streams[N]['input']>;
export type StreamArgs<N extends StreamName> = z.output<Streams[N]['input']>;
export type StreamEvent<N extends StreamName> = z.output<Streams[N]['event']>;
export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<N extends ChannelName> = z.input<Channels[N]['input']>;
export type ChannelArgs<N extends ChannelName> = z.output<Channels[N]['input']>;
export type ChannelClientMessage<N extends ChannelName> = z.output<Channels[N]['client']>;
export type ChannelEvent<N extends ChannelName> = z.output<Channels[N]['event']>;

export const isProcedureName = (name: string): name is ProcedureName => Object.hasOwn(procedures, name);
export const isStreamName = (name: string): name is StreamName => Object.hasOwn(streams, name);
export const isChannelName = (name: string): name is ChannelName => Object.hasOwn(channels, name);

export * from './activity.js';
export * from './aws.js';
export * from './config.js';
export * from './environments.js';
export * from './define.js';
export * from './observability.js';
export * from './pipelines.js';
export * from './releases.js';
export * from './system.js';
export * from './terminal.js';
export * from './team.js';
export * from './webhooks.js';
export * from './bridge.js';
