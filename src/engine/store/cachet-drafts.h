/* cachet-drafts.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CACHET_DRAFTS_MAX:
 *
 * The most drafts cachet_drafts_list() returns, newest first.
 */
#define CACHET_DRAFTS_MAX 100

#define CACHET_TYPE_DRAFTS (cachet_drafts_get_type ())

G_DECLARE_FINAL_TYPE (CachetDrafts, cachet_drafts, CACHET, DRAFTS, GObject)

CachetDrafts *cachet_drafts_new           (const char           *account_dir);
gboolean      cachet_drafts_save          (CachetDrafts         *self,
                                           const char           *message_id,
                                           GBytes               *draft,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean      cachet_drafts_remove        (CachetDrafts         *self,
                                           const char           *message_id,
                                           GCancellable         *cancellable,
                                           GError              **error);
GPtrArray    *cachet_drafts_list          (CachetDrafts         *self,
                                           GCancellable         *cancellable,
                                           GError              **error);
void          cachet_drafts_list_async    (CachetDrafts         *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GPtrArray    *cachet_drafts_list_finish   (CachetDrafts         *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
