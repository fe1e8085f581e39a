/**
 * Two projects: the backend (node: real gRPC, real processes) and the frontend (jsdom, React).
 * Grafana's packages ship some ESM-only dependencies that jest has to transform.
 */
const esmModules = [
  '@ver0',
  '@grafana/schema',
  '@react-hookz',
  '@wojtekmaj/date-utils',
  'd3',
  'd3-color',
  'd3-force',
  'd3-interpolate',
  'd3-scale-chromatic',
  'get-user-locale',
  'marked',
  'memoize',
  'mimic-function',
  'ol',
  'react-calendar',
  'react-colorful',
  'rxjs',
  'uuid',
];

module.exports = {
  projects: [
    {
      displayName: 'backend',
      testEnvironment: 'node',
      roots: ['<rootDir>/backend'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    },
    {
      displayName: 'frontend',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.{ts,tsx}'],
      setupFilesAfterEnv: ['<rootDir>/jest-setup.ts'],
      moduleNameMapper: { '\\.(css|scss|sass)$': 'identity-obj-proxy' },
      transform: {
        '^.+\\.(t|j)sx?$|^.+\\.mjs$': [
          '@swc/jest',
          {
            jsc: {
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
              target: 'es2020',
            },
          },
        ],
      },
      transformIgnorePatterns: [`node_modules/(?!(${esmModules.join('|')})/)`],
    },
  ],
};
