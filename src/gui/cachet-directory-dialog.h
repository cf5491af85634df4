/* cachet-directory-dialog.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-composer-window.h"

G_BEGIN_DECLS

#define CACHET_TYPE_DIRECTORY_DIALOG (cachet_directory_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CachetDirectoryDialog, cachet_directory_dialog, CACHET, DIRECTORY_DIALOG, AdwWindow)

CachetDirectoryDialog *cachet_directory_dialog_new (GtkApplication       *application,
                                                    CachetComposerWindow *composer);

G_END_DECLS
