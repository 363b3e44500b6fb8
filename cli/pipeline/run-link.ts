/**
 * Issue 16.1: the link from a pull-request comment to the pipeline run that wrote it, from the
 * variables GitHub Actions and Azure Pipelines set on every run.
 */

/**
 * The run's web page: GitHub Actions (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID) or Azure
 * Pipelines (SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT, BUILD_BUILDID); undefined elsewhere or when a
 * variable is missing. Values are URL-encoded where they form a path segment.
 */
export function runUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  if (GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID) {
    return `${GITHUB_SERVER_URL.replace(/\/+$/, "")}/${GITHUB_REPOSITORY}/actions/runs/${encodeURIComponent(GITHUB_RUN_ID)}`;
  }
  const { SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT, BUILD_BUILDID } = env;
  if (SYSTEM_COLLECTIONURI && SYSTEM_TEAMPROJECT && BUILD_BUILDID) {
    const base = SYSTEM_COLLECTIONURI.endsWith("/") ? SYSTEM_COLLECTIONURI : `${SYSTEM_COLLECTIONURI}/`;
    return `${base}${encodeURIComponent(SYSTEM_TEAMPROJECT)}/_build/results?buildId=${encodeURIComponent(BUILD_BUILDID)}`;
  }
  return undefined;
}
