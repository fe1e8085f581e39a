/** Whether typed arrays are little-endian here (protobuf's fixed64 is; every platform Sluice ships for is). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
