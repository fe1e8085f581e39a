import { Metadata, ServerErrorResponse, status as GrpcStatus } from '@grpc/grpc-js';

/** A gRPC error status as grpc-js server calls expect it. */
export function grpcError(code: GrpcStatus, details: string): ServerErrorResponse {
  const error = new Error(details) as ServerErrorResponse;
  error.code = code;
  error.details = details;
  error.metadata = new Metadata();
  return error;
}
