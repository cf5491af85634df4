/* cachet-message-info-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "cachet-message-info.h"

G_BEGIN_DECLS

/* The columns _cachet_message_info_new_from_row() reads, in its order, from
 * "messages AS m JOIN folders AS f ON f.id = m.folder_id". */
#define CACHET_MESSAGE_INFO_COLUMNS \
  "m.id, f.name, m.uid, m.filename, m.internal_date, m.size, m.modseq, " \
  "m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords, " \
  "m.message_id, m.in_reply_to, m.refs, m.date, m.from_name, m.from_address, " \
  "m.to_text, m.cc_text, m.subject, m.has_attachment, m.is_signed, m.is_encrypted, " \
  "m.mss_headers, m.mime_issues"

CachetMessageInfo *_cachet_message_info_new_from_row   (sqlite3_stmt      *statement);
const char        *_cachet_message_info_get_filename   (CachetMessageInfo *self);

G_END_DECLS
