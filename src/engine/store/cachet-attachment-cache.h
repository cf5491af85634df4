/* cachet-attachment-cache.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CACHET_ATTACHMENT_CACHE_MAX_AGE:
 *
 * How long a copy written to open an attachment is kept: long enough for the
 * application that shows it to read it again.
 */
#define CACHET_ATTACHMENT_CACHE_MAX_AGE G_TIME_SPAN_DAY

GFile    *cachet_attachment_cache_write        (const char           *file_name,
                                                GBytes               *data,
                                                GError              **error);
void      cachet_attachment_cache_clean_async  (GTimeSpan             max_age,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean  cachet_attachment_cache_clean_finish (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
