// Where the refresh token lives between page loads. See web/README.md ("Tokens") for why it is
// sessionStorage: it survives a reload of the tab, is not shared with other tabs, and dies with the tab.

export type RefreshTokenStore = {
  read(): string | null;
  write(token: string): void;
  clear(): void;
};

const KEY = "identity.refresh_token";

export function createSessionStorageStore(storage: Storage = window.sessionStorage): RefreshTokenStore {
  return {
    read: () => {
      try {
        return storage.getItem(KEY);
      } catch {
        return null; // storage disabled: the session simply does not survive a reload
      }
    },
    write: (token) => {
      try {
        storage.setItem(KEY, token);
      } catch {
        // storage full or disabled: keep working for this page load only
      }
    },
    clear: () => {
      try {
        storage.removeItem(KEY);
      } catch {
        // nothing stored, nothing to clear
      }
    },
  };
}

export function createMemoryStore(initial: string | null = null): RefreshTokenStore {
  let token = initial;
  return {
    read: () => token,
    write: (t) => {
      token = t;
    },
    clear: () => {
      token = null;
    },
  };
}
