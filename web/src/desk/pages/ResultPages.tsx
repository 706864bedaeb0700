import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

export function ForbiddenPage() {
  const { t } = useTranslation("desk");
  return <Result status="403" title={t("forbidden.title")} subTitle={t("forbidden.body")} />;
}

export function NotFoundPage() {
  const { t } = useTranslation("desk");
  return (
    <Result
      status="404"
      title={t("notFound.title")}
      extra={
        <Link to="/">
          <Button type="primary">{t("notFound.back")}</Button>
        </Link>
      }
    />
  );
}
