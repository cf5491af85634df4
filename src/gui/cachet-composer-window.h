/* cachet-composer-window.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-application.h"
#include "cachet-reply.h"

G_BEGIN_DECLS

#define CACHET_TYPE_COMPOSER_WINDOW (cachet_composer_window_get_type ())

G_DECLARE_FINAL_TYPE (CachetComposerWindow, cachet_composer_window, CACHET, COMPOSER_WINDOW, AdwWindow)

CachetComposerWindow *cachet_composer_window_new              (CachetApplication    *application,
                                                               CachetAccount        *account);
void                  cachet_composer_window_new_reply_async  (CachetApplication    *application,
                                                               CachetAccount        *account,
                                                               CachetStore          *store,
                                                               CachetMessageInfo    *original,
                                                               CachetReplyKind       kind,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
CachetComposerWindow *cachet_composer_window_new_reply_finish (GAsyncResult         *result,
                                                               GError              **error);
void                  cachet_composer_window_start_reply      (CachetComposerWindow *self,
                                                               const CachetReply    *reply);
void                  cachet_composer_window_add_file         (CachetComposerWindow *self,
                                                               GFile                *file);
void                  cachet_composer_window_open_draft       (CachetComposerWindow *self,
                                                               GBytes               *draft);
void                  cachet_composer_window_add_recipient    (CachetComposerWindow *self,
                                                               const char           *address);
void                  cachet_composer_window_import_certificate (CachetComposerWindow *self,
                                                                 GFile                *file);

G_END_DECLS
