/* fuzz-smime-enveloped-data.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds arbitrary bytes to the EnvelopedData decoder, as an
 * application/pkcs7-mime part from any sender reaches it, and to the
 * description of its recipients that a user is shown when the message is
 * not for them: whatever the input, it is refused with a readable reason, or
 * decoded into a bounded list of recipients described in UTF-8. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cachet-smime-enveloped-data.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define check(condition) do { if (!(condition)) abort (); } while (0)

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(CachetEnvelopedData) envelope = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GError) error = NULL;

  envelope = cachet_enveloped_data_new (bytes, &error);
  if (envelope == NULL)
    {
      check (error != NULL && error->domain == CACHET_SMIME_ERROR &&
             error->code == CACHET_SMIME_ERROR_UNREADABLE);
      check (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  check (error == NULL);
  recipients = cachet_enveloped_data_dup_recipients (envelope);
  check (recipients[0] != NULL && g_strv_length (recipients) <= CACHET_ENVELOPED_DATA_MAX_RECIPIENTS);
  for (guint i = 0; recipients[i] != NULL; i++)
    check (g_utf8_validate (recipients[i], -1, NULL) && recipients[i][0] != '\0');

  return 0;
}
