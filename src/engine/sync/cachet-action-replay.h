/* cachet-action-replay.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-imap-session.h"
#include "cachet-store.h"

G_BEGIN_DECLS

/**
 * CachetReplayReport:
 * @replayed: actions the server carried out (or had already)
 * @failed: actions the server refused, now failed in the store
 * @dropped: actions on UIDs of a folder the server has renumbered since
 *
 * What replaying the queue did.
 */
typedef struct
{
  guint replayed;
  guint failed;
  guint dropped;
} CachetReplayReport;

gboolean cachet_action_replay_run (CachetStore         *store,
                                   CachetImapSession   *session,
                                   GMainContext        *context,
                                   GCancellable        *cancellable,
                                   CachetReplayReport  *report,
                                   GError             **error);

G_END_DECLS
