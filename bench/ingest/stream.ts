/** The benchmark's series: label sets and sample values, shared by bench.ts and the in-process harness. */

export const METRICS = [
  'node_cpu_seconds_total',
  'node_memory_MemAvailable_bytes',
  'node_memory_MemFree_bytes',
  'node_memory_Cached_bytes',
  'node_memory_Buffers_bytes',
  'node_load1',
  'node_load5',
  'node_load15',
  'node_disk_read_bytes_total',
  'node_disk_written_bytes_total',
  'node_disk_io_time_seconds_total',
  'node_disk_reads_completed_total',
  'node_disk_writes_completed_total',
  'node_network_receive_bytes_total',
  'node_network_transmit_bytes_total',
  'node_network_receive_packets_total',
  'node_network_transmit_packets_total',
  'node_network_receive_errs_total',
  'node_filesystem_avail_bytes',
  'node_filesystem_size_bytes',
  'node_filesystem_files_free',
  'node_context_switches_total',
  'node_intr_total',
  'node_forks_total',
  'node_procs_running',
  'node_procs_blocked',
  'node_boot_time_seconds',
  'node_time_seconds',
  'node_vmstat_pgfault',
  'node_vmstat_pgmajfault',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_open_fds',
  'process_max_fds',
  'process_start_time_seconds',
  'go_goroutines',
  'go_threads',
  'go_memstats_alloc_bytes',
  'go_memstats_heap_inuse_bytes',
  'go_gc_duration_seconds_sum',
  'go_gc_duration_seconds_count',
  'http_requests_total',
  'http_request_duration_seconds_sum',
  'http_request_duration_seconds_count',
  'http_response_size_bytes_sum',
  'grpc_server_handled_total',
  'grpc_server_started_total',
  'up',
  'scrape_duration_seconds',
];
const JOBS = ['node', 'api', 'frontend', 'worker', 'db', 'cache', 'ingress', 'scheduler'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];
const ENVS = ['prod', 'staging', 'dev'];

/** Series i: 7 labels (__name__, device, env, instance, job, region, team), sorted by name. */
export function labelsOf(i: number): Array<[string, string]> {
  const metric = METRICS[i % METRICS.length];
  const j = Math.floor(i / METRICS.length); // unique per metric
  const host = Math.floor(j / 4);
  return [
    ['__name__', metric],
    ['device', `dev${j % 4}`],
    ['env', ENVS[host % ENVS.length]],
    ['instance', `10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}:9100`],
    ['job', JOBS[host % JOBS.length]],
    ['region', REGIONS[(host >> 3) % REGIONS.length]],
    ['team', `team-${host % 17}`],
  ];
}

/** Series i's value in round r. Counters grow, gauges wander: a mix of integral and fractional values. */
export function sampleValue(i: number, r: number): number {
  return i % 3 === 0 ? (i % 1000) * 100 + r * ((i % 7) + 1) : Math.sin(i + r) * 1000 + 1000;
}
