/* cachet-lab-result.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-lab-result.h"
#include "cachet-labs-private.h"

/* One analyte of a report. Values stay text: labs write `<0.12`, `85*` or
 * `Diabète` where a number is expected, and a doctor must see what the lab
 * wrote. */

struct _CachetLabResult
{
  GObject parent_instance;

  char *code;
  char *label;
  char *value;
  char *unit;
  char *reference_low;
  char *reference_high;
  GString *comment;
  CachetLabFlag flag;
};

G_DEFINE_FINAL_TYPE (CachetLabResult, cachet_lab_result, G_TYPE_OBJECT)

static const struct
{
  const char    *code;
  CachetLabFlag  flag;
} flag_codes[] = {
  { "N", CACHET_LAB_FLAG_NORMAL },
  { "L", CACHET_LAB_FLAG_LOW },
  { "H", CACHET_LAB_FLAG_HIGH },
  { "LL", CACHET_LAB_FLAG_CRITICAL_LOW },
  { "HH", CACHET_LAB_FLAG_CRITICAL_HIGH },
  { "A", CACHET_LAB_FLAG_ABNORMAL },
  { "AA", CACHET_LAB_FLAG_ABNORMAL },
  { "<", CACHET_LAB_FLAG_LOW },
  { ">", CACHET_LAB_FLAG_HIGH },
};

static void
cachet_lab_result_finalize (GObject *object)
{
  CachetLabResult *self = CACHET_LAB_RESULT (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->reference_low, g_free);
  g_clear_pointer (&self->reference_high, g_free);
  if (self->comment != NULL)
    g_string_free (g_steal_pointer (&self->comment), TRUE);

  G_OBJECT_CLASS (cachet_lab_result_parent_class)->finalize (object);
}

static void
cachet_lab_result_class_init (CachetLabResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_result_finalize;
}

static void
cachet_lab_result_init (CachetLabResult *self)
{
}

CachetLabResult *
cachet_lab_result_new (const char *code,
                       const char *label,
                       const char *value,
                       const char *unit)
{
  CachetLabResult *self = g_object_new (CACHET_TYPE_LAB_RESULT, NULL);

  self->code = cachet_labs_strdup_nonempty (code);
  self->label = cachet_labs_strdup_nonempty (label);
  self->value = cachet_labs_strdup_nonempty (value);
  self->unit = cachet_labs_strdup_nonempty (unit);
  return self;
}

const char *
cachet_lab_result_get_code (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);
  return self->code;
}

const char *
cachet_lab_result_get_label (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);
  return self->label;
}

const char *
cachet_lab_result_get_value (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);
  return self->value;
}

const char *
cachet_lab_result_get_unit (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);
  return self->unit;
}

const char *
cachet_lab_result_get_reference_low (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);
  return self->reference_low;
}

const char *
cachet_lab_result_get_reference_high (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);
  return self->reference_high;
}

void
cachet_lab_result_set_reference (CachetLabResult *self,
                                 const char      *low,
                                 const char      *high)
{
  g_return_if_fail (CACHET_IS_LAB_RESULT (self));
  g_free (self->reference_low);
  g_free (self->reference_high);
  self->reference_low = cachet_labs_strdup_nonempty (low);
  self->reference_high = cachet_labs_strdup_nonempty (high);
}

/**
 * cachet_lab_result_dup_reference_text:
 *
 * Returns: (transfer full) (nullable): the range as a reader expects it:
 *   `low – high`, `< high` or `> low`
 */
char *
cachet_lab_result_dup_reference_text (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);

  if (self->reference_low != NULL && self->reference_high != NULL)
    return g_strdup_printf ("%s – %s", self->reference_low, self->reference_high);
  if (self->reference_high != NULL)
    return g_strdup_printf ("< %s", self->reference_high);
  if (self->reference_low != NULL)
    return g_strdup_printf ("> %s", self->reference_low);
  return NULL;
}

CachetLabFlag
cachet_lab_result_get_flag (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), CACHET_LAB_FLAG_NONE);
  return self->flag;
}

void
cachet_lab_result_set_flag (CachetLabResult *self,
                            CachetLabFlag    flag)
{
  g_return_if_fail (CACHET_IS_LAB_RESULT (self));
  self->flag = flag;
}

gboolean
cachet_lab_result_is_abnormal (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), FALSE);
  return self->flag != CACHET_LAB_FLAG_NONE && self->flag != CACHET_LAB_FLAG_NORMAL;
}

const char *
cachet_lab_result_get_comment (CachetLabResult *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_RESULT (self), NULL);
  return self->comment != NULL ? self->comment->str : NULL;
}

void
cachet_lab_result_append_comment (CachetLabResult *self,
                                  const char      *comment)
{
  g_return_if_fail (CACHET_IS_LAB_RESULT (self));

  if (comment == NULL || *comment == '\0')
    return;
  if (self->comment == NULL)
    self->comment = g_string_new (NULL);
  else
    g_string_append_c (self->comment, '\n');
  g_string_append (self->comment, comment);
}

/**
 * cachet_lab_flag_from_code:
 * @code: (nullable): an HL7/HPRIM abnormal flag (`L`, `HH`, `N`…)
 */
CachetLabFlag
cachet_lab_flag_from_code (const char *code)
{
  if (code == NULL)
    return CACHET_LAB_FLAG_NONE;
  for (gsize i = 0; i < G_N_ELEMENTS (flag_codes); i++)
    {
      if (g_ascii_strcasecmp (code, flag_codes[i].code) == 0)
        return flag_codes[i].flag;
    }
  return CACHET_LAB_FLAG_NONE;
}

/**
 * cachet_lab_flag_to_code:
 *
 * Returns: (nullable): the HL7 code of @flag
 */
const char *
cachet_lab_flag_to_code (CachetLabFlag flag)
{
  for (gsize i = 0; i < G_N_ELEMENTS (flag_codes); i++)
    {
      if (flag_codes[i].flag == flag)
        return flag_codes[i].code;
    }
  return NULL;
}
