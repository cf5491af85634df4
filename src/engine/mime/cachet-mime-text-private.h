/* cachet-mime-text-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cachet-message-summary.h"
#include "cachet-mime.h"

G_BEGIN_DECLS

/* The summary (for the index and the list) and the render (for the reader)
 * must show the same header as the same text, so they read headers and text
 * parts through these helpers rather than through copies that could drift. */

void      _cachet_mime_text_truncate_utf8      (GString             *string,
                                                gsize                max);
gunichar  _cachet_mime_text_unmask_c1          (gunichar             c);
gboolean  _cachet_mime_text_is_invisible       (gunichar             c);
char     *_cachet_mime_text_clean_line         (const char          *text,
                                                gsize                max_bytes);
void      _cachet_mime_text_collect_addresses  (InternetAddressList *list,
                                                GPtrArray           *out,
                                                guint                max);
GByteArray *_cachet_mime_text_read_decoded_content (GMimePart       *part,
                                                    gsize            max_bytes,
                                                    gboolean        *truncated);
char     *_cachet_mime_text_to_utf8            (GByteArray          *bytes,
                                                const char          *declared_charset,
                                                gboolean             drop_nul);

G_END_DECLS
