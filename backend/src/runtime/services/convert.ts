/** Converts between the generated protobuf messages and the types handlers see. */
import * as pb from '../../generated/pluginv2/backend';
import type { DataQuery, FrameFormat, PluginContext, QueryDataRequest } from '../handlers';

export function frameFormatFromProto(format: pb.DataFrameFormat): FrameFormat {
  return format === pb.DataFrameFormat.JSON ? 'json' : 'arrow';
}

export function frameFormatToProto(format: FrameFormat): pb.DataFrameFormat {
  return format === 'json' ? pb.DataFrameFormat.JSON : pb.DataFrameFormat.ARROW;
}

export function pluginContextFromProto(ctx: pb.PluginContext | undefined): PluginContext {
  const ds = ctx?.dataSourceInstanceSettings;
  return {
    orgId: Number(ctx?.orgId ?? 0),
    pluginId: ctx?.pluginId ?? '',
    pluginVersion: ctx?.pluginVersion ?? '',
    user: ctx?.user ? { ...ctx.user } : undefined,
    dataSourceInstanceSettings: ds
      ? {
          id: Number(ds.id),
          uid: ds.uid,
          name: ds.name,
          url: ds.url,
          user: ds.user,
          database: ds.database,
          basicAuthEnabled: ds.basicAuthEnabled,
          basicAuthUser: ds.basicAuthUser,
          jsonData: ds.jsonData,
          decryptedSecureJsonData: ds.decryptedSecureJsonData,
          lastUpdatedMs: Number(ds.lastUpdatedMS),
          apiVersion: ds.apiVersion,
        }
      : undefined,
    grafanaConfig: ctx?.grafanaConfig ?? {},
    userAgent: ctx?.userAgent ?? '',
    apiVersion: ctx?.apiVersion ?? '',
    namespace: ctx?.namespace ?? '',
  };
}

export function dataQueryFromProto(query: pb.DataQuery): DataQuery {
  return {
    refId: query.refId,
    queryType: query.queryType,
    maxDataPoints: Number(query.maxDataPoints),
    intervalMs: Number(query.intervalMS),
    timeRange: { from: Number(query.timeRange?.fromEpochMS ?? 0), to: Number(query.timeRange?.toEpochMS ?? 0) },
    json: query.json,
  };
}

export function queryDataRequestFromProto(request: pb.QueryDataRequest | pb.QueryChunkedDataRequest): QueryDataRequest {
  return {
    pluginContext: pluginContextFromProto(request.pluginContext),
    headers: request.headers,
    queries: request.queries.map(dataQueryFromProto),
    format: frameFormatFromProto(request.format),
  };
}

/** A view of the bytes as a Buffer, without copying (the generated encoder wants Buffers). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
