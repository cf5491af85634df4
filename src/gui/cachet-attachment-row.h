/* cachet-attachment-row.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-composer-attachment.h"

G_BEGIN_DECLS

#define CACHET_TYPE_ATTACHMENT_ROW (cachet_attachment_row_get_type ())

G_DECLARE_FINAL_TYPE (CachetAttachmentRow, cachet_attachment_row, CACHET, ATTACHMENT_ROW, AdwActionRow)

CachetAttachmentRow      *cachet_attachment_row_new            (CachetComposerAttachment *attachment);
CachetComposerAttachment *cachet_attachment_row_get_attachment (CachetAttachmentRow      *self);

G_END_DECLS
