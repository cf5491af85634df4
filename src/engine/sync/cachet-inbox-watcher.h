/* cachet-inbox-watcher.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-account.h"
#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

/**
 * CachetInboxWatcherState:
 * @CACHET_INBOX_WATCHER_STATE_STOPPED: not started, or stopped
 * @CACHET_INBOX_WATCHER_STATE_CONNECTING: opening a session and examining
 *   INBOX
 * @CACHET_INBOX_WATCHER_STATE_WATCHING: INBOX is open and the server reports
 *   its changes as they happen (IDLE)
 * @CACHET_INBOX_WATCHER_STATE_WAITING: the connection failed or was lost; a
 *   new attempt comes after a delay, or at once when the network changes
 * @CACHET_INBOX_WATCHER_STATE_UNSUPPORTED: the server has no IDLE: nothing is
 *   watched, the owner keeps polling with its periodic sync
 * @CACHET_INBOX_WATCHER_STATE_FAILED: the server refused the credentials;
 *   trying again would only risk locking the account, so the watcher waits
 *   for cachet_inbox_watcher_start() once they have been corrected
 *
 * Where the watcher stands; see cachet_inbox_watcher_get_error() for why it
 * is not watching.
 */
typedef enum
{
  CACHET_INBOX_WATCHER_STATE_STOPPED,
  CACHET_INBOX_WATCHER_STATE_CONNECTING,
  CACHET_INBOX_WATCHER_STATE_WATCHING,
  CACHET_INBOX_WATCHER_STATE_WAITING,
  CACHET_INBOX_WATCHER_STATE_UNSUPPORTED,
  CACHET_INBOX_WATCHER_STATE_FAILED,
} CachetInboxWatcherState;

#define CACHET_TYPE_INBOX_WATCHER_STATE (cachet_inbox_watcher_state_get_type ())
GType cachet_inbox_watcher_state_get_type (void) G_GNUC_CONST;

#define CACHET_TYPE_INBOX_WATCHER (cachet_inbox_watcher_get_type ())

G_DECLARE_FINAL_TYPE (CachetInboxWatcher, cachet_inbox_watcher, CACHET, INBOX_WATCHER, GObject)

CachetInboxWatcher      *cachet_inbox_watcher_new               (CachetAccount             *account,
                                                                 CachetCredentialsProvider *credentials);
void                     cachet_inbox_watcher_set_retry_delays  (CachetInboxWatcher        *self,
                                                                 guint                      first_ms,
                                                                 guint                      max_ms);
void                     cachet_inbox_watcher_start             (CachetInboxWatcher        *self);
void                     cachet_inbox_watcher_stop              (CachetInboxWatcher        *self);
CachetInboxWatcherState  cachet_inbox_watcher_get_state         (CachetInboxWatcher        *self);
const GError            *cachet_inbox_watcher_get_error         (CachetInboxWatcher        *self);
guint                    cachet_inbox_watcher_get_retry_delay   (CachetInboxWatcher        *self);

G_END_DECLS
