/** Jest runs the backend's unit and integration tests (real gRPC, real processes). */
module.exports = {
  projects: [
    {
      displayName: 'backend',
      testEnvironment: 'node',
      roots: ['<rootDir>/backend'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    },
  ],
};
