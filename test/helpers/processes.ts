/** Whether any process of the group is still alive (a child started with `detached: true` leads its own group). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
